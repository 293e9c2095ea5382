-- Issue 13: webhook-deliverer decides when a registered URL is switched off and says so with endpoint.disabled.
-- The dispatcher handles each such event once (handled_events) and ignores one older than the owner's last enable.

-- AlterTable
ALTER TABLE "destinations" ADD COLUMN     "enabled_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "event_endpoints" ADD COLUMN     "enabled_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "handled_events" (
    "id" TEXT NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "handled_events_pkey" PRIMARY KEY ("id")
);
