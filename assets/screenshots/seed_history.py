#!/usr/bin/env python3
"""A seeded review history for three bundled decks, ending yesterday, for the
README screenshots: about 90 days of reviews, with the ml-fundamentals topic
"Class Imbalance" answered wrong most of the time so it shows as weak.
Prints the CSV that `recall import --reviews` reads. Run from the repository root."""
import random, re, sys, time
random.seed(7)
def card_id(deck, q):
    h = 0xcbf29ce484222325
    for b in deck.encode() + b"\x1f" + q.encode():
        h ^= b; h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h >> 1
def questions(deck):
    text = open(f"decks/{deck}.ron").read()
    return re.findall(r'\(\s*id: "([^"]+)",\s*topic: "([^"]+)"', text)
now = int(time.time() * 1000)
day = 86_400_000
rows = []
for deck in ["ml-fundamentals", "deep-learning", "probability-statistics"]:
    for q, topic in questions(deck):
        if q == "oversampling-before-split":
            continue
        weak = topic == "Class Imbalance"
        t = now - random.randint(40, 90) * day
        interval = 1
        while t < now - day:
            right = random.random() < (0.3 if weak else 0.9)
            rating = (3 if random.random() < 0.8 else 4) if right else 1
            rows.append((card_id(deck, q), deck, q, t, rating, random.randint(2000, 15000), int(right)))
            interval = 1 if not right else interval * 2.5
            t += int(interval * day) + random.randint(0, 3_600_000)
# The weakest card of all, so Weak areas opens on it: a multiple-choice
# question forgotten three days running, a month ago.
deck, q = "ml-fundamentals", "oversampling-before-split"
for days_ago in (32, 31, 30):
    t = now - days_ago * day - 7_200_000
    rows.append((card_id(deck, q), deck, q, t, 1, 9000, 0))
rows.sort(key=lambda r: r[3])
print("card_id,deck,question,review_time_ms,rating,duration_ms,correct")
for r in rows:
    print(",".join(map(str, r)))
