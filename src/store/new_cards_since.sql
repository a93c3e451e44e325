-- Cards whose first review happened at or after ?1.
SELECT COUNT(*) FROM (
    SELECT 1 FROM review_log
    GROUP BY deck_id, question_id
    HAVING MIN(reviewed_at) >= ?1
)
