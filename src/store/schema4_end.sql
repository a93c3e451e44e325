DROP TABLE card_state;
ALTER TABLE card_state_4 RENAME TO card_state;
