-- The outbox moves to libs/durable's table: a row names its publication instead of an exchange and routing key.
-- Rows still waiting are kept: their routing key is the publication's key (webhook.deliver.callback).

-- DropIndex
DROP INDEX "outbox_created_at_idx";

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN "publication" TEXT;
UPDATE "outbox" SET "publication" = "routing_key";
ALTER TABLE "outbox" ALTER COLUMN "publication" SET NOT NULL,
DROP COLUMN "exchange",
DROP COLUMN "routing_key";

-- CreateIndex
CREATE INDEX "outbox_created_at_id_idx" ON "outbox"("created_at", "id");
