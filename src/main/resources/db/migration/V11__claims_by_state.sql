-- Claims look at live rows only. A claim asks for due rows of one lane (PENDING, DEFERRED, or IN_PROGRESS with an
-- expired lease); with the lane first in the index, it read every row the lane ever had, STORED ones included: on a
-- ledger of 200,000 stored recordings each voice claim scanned 137,595 index entries (the benchmark's cost growth).
-- With the state first, it reads the live rows of its lane and nothing else. Portable: H2 2.x and PostgreSQL 12+.
DROP INDEX recording_item_due;
CREATE INDEX recording_item_due ON recording_item (state, lane, next_attempt_at);

-- The relisting claim, on every expansion round, looked for EXPANDED conversations whose relist_at had come: the
-- state index found every conversation ever listed (163,558 of them in that ledger). With the state and the time
-- together, and relist_at bounded below (NULL once relisting is over), it reads the due ones only.
DROP INDEX conversation_work_relist;
CREATE INDEX conversation_work_relist ON conversation_work (state, relist_at);
