-- Cards whose first review happened at or after ?1: reviewed since then, and
-- not before. Walks only the reviews since ?1 (a range of the table's own
-- key), probing each card's earlier reviews through the card index. The
-- range is closed above so that SQLite sees how narrow it is; open above, it
-- walks the whole card index instead.
SELECT COUNT(DISTINCT card) FROM review_log AS r
WHERE r.reviewed_at BETWEEN ?1 AND 9223372036854775807
  AND NOT EXISTS (
      SELECT 1 FROM review_log AS p
      WHERE p.card = r.card
        AND p.reviewed_at < ?1
  )
