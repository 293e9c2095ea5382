-- Endpoint health (issue 13): each POST to a registered endpoint keeps its ref, so the account's log filters by it,
-- and each endpoint's failed attempts in a row and whether it was switched off are kept per (kind, id).

-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN     "endpoint_id" TEXT,
ADD COLUMN     "endpoint_kind" TEXT;

-- CreateTable
CREATE TABLE "endpoint_health" (
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_health_pkey" PRIMARY KEY ("kind","id")
);

-- CreateIndex
CREATE INDEX "webhooks_account_id_endpoint_id_created_at_idx" ON "webhooks"("account_id", "endpoint_id", "created_at");
