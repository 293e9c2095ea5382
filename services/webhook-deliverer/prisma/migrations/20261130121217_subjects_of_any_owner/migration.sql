-- A webhook's subject is any owner (kind + id + refs) with its account, instead of a message and a channel.
-- Written by hand around the generated diff so existing rows survive: their old columns map into the new ones.
-- Rows written before subjects carried an account keep account_id = '' (the deliverer never had it; no new
-- command may send '' again: the contract requires a non-empty account id).

-- AlterTable
ALTER TABLE "webhooks"
ADD COLUMN     "account_id" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "subject_kind" TEXT,
ADD COLUMN     "subject_id" TEXT,
ADD COLUMN     "subject_refs" JSONB;

-- Answer callbacks were about a message; webhook destinations about a delivery of one.
UPDATE "webhooks" SET
  "subject_kind" = CASE WHEN "purpose" = 'notification' AND "delivery_id" IS NOT NULL THEN 'delivery' ELSE 'message' END,
  "subject_id" = CASE WHEN "purpose" = 'notification' AND "delivery_id" IS NOT NULL THEN "delivery_id" ELSE "message_id" END,
  "subject_refs" = CASE
    WHEN "purpose" = 'notification' AND "delivery_id" IS NOT NULL
      THEN jsonb_build_object('messageId', "message_id", 'channelId', "channel_id")
    ELSE jsonb_strip_nulls(jsonb_build_object('channelId', "channel_id", 'deliveryId', "delivery_id"))
  END;

ALTER TABLE "webhooks"
ALTER COLUMN "account_id" DROP DEFAULT,
ALTER COLUMN "subject_kind" SET NOT NULL,
ALTER COLUMN "subject_id" SET NOT NULL,
ALTER COLUMN "subject_refs" SET NOT NULL;

-- DropIndex
DROP INDEX "webhooks_message_id_idx";

ALTER TABLE "webhooks" DROP COLUMN "channel_id",
DROP COLUMN "delivery_id",
DROP COLUMN "message_id";

-- CreateIndex
CREATE INDEX "webhooks_subject_kind_subject_id_idx" ON "webhooks"("subject_kind", "subject_id");

-- CreateIndex
CREATE INDEX "webhooks_account_id_idx" ON "webhooks"("account_id");
