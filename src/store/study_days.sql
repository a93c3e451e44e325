-- Distinct study days with a review: floor((reviewed_at + shift) / day), as integers.
SELECT DISTINCT CAST(((reviewed_at + ?1) - ((reviewed_at + ?1) % ?2 + ?2) % ?2) / ?2 AS INTEGER)
FROM review_log
