-- Cards whose first review happened at or after ?1: reviewed since then, and
-- not before. Walks only the reviews since ?1 (the time index), probing each
-- card's earlier reviews through the card index.
SELECT COUNT(*) FROM (
    SELECT DISTINCT card FROM review_log AS r
    WHERE r.reviewed_at >= ?1
      AND NOT EXISTS (
          SELECT 1 FROM review_log AS p
          WHERE p.card = r.card
            AND p.reviewed_at < ?1
      )
)
