-- Whether the participants' legal-hold attribute of a conversation has been read: by its intake (the poll's details
-- jobs carry attributes) or, before its recordings were routed, from Genesys in real time. Portable: H2 2.x, PostgreSQL.
ALTER TABLE conversation_work ADD COLUMN hold_attribute_read BOOLEAN DEFAULT FALSE NOT NULL;
