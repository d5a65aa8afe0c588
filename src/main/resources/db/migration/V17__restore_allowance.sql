-- The org's recording restoration allowance, as the exporter last met it: exhausted_since is set by the replica that
-- first found the share left to it used up (it raises the one incident in the same transaction), and cleared when a
-- restore is permitted again. One row.
CREATE TABLE restore_allowance (
    id               INT                      NOT NULL PRIMARY KEY,
    exhausted_since  TIMESTAMP WITH TIME ZONE
);
INSERT INTO restore_allowance (id, exhausted_since) VALUES (1, NULL);
