-- Destinations now belong to notification-dispatcher. Services migrate one after the other (this one first), so
-- the rows are handed over rather than dropped: the table moves to the dispatcher's schema under a staging name,
-- with each row's account, and the dispatcher's migration "every_channel" copies them into its own table and
-- drops the staging table.
ALTER TABLE "destinations" DROP CONSTRAINT "destinations_channel_id_fkey";

CREATE SCHEMA IF NOT EXISTS "dispatcher";

CREATE TABLE "dispatcher"."gateway_destinations_handover" AS
  SELECT d.id, c.account_id, d.channel_id, d.type, d.url, d.created_at
    FROM "destinations" d JOIN "channels" c ON c.id = d.channel_id;

DROP TABLE "destinations";
