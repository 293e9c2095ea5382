-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "actions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "answer" JSONB,
ADD COLUMN     "answered_at" TIMESTAMPTZ(3),
ADD COLUMN     "body" TEXT,
ADD COLUMN     "data" JSONB,
ADD COLUMN     "escalation" JSONB,
ADD COLUMN     "events_url" TEXT,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "fallback" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "fallback_next" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "priority" TEXT NOT NULL DEFAULT 'normal';

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "error_code" TEXT,
ADD COLUMN     "first_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN     "provider_ref" JSONB,
ADD COLUMN     "recipient" TEXT,
ADD COLUMN     "round" TEXT NOT NULL DEFAULT 'primary';

-- CreateTable
CREATE TABLE "destinations" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "destinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_endpoints" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "signing_secret" TEXT NOT NULL,
    "previous_signing_secret" TEXT,
    "previous_secret_valid_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_policies" (
    "channel_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "escalation" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_policies_pkey" PRIMARY KEY ("channel_id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT,
    "error_message" TEXT,
    "latency_ms" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" TEXT NOT NULL,
    "publication" TEXT NOT NULL,
    "envelope" JSON NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadlines" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "destinations_channel_id_id_idx" ON "destinations"("channel_id", "id");

-- CreateIndex
CREATE INDEX "event_endpoints_account_id_idx" ON "event_endpoints"("account_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_delivery_id_idx" ON "delivery_attempts"("delivery_id");

-- CreateIndex
CREATE INDEX "outbox_created_at_id_idx" ON "outbox"("created_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadlines_kind_key_key" ON "deadlines"("kind", "key");

-- CreateIndex
CREATE INDEX "deliveries_status_updated_at_idx" ON "deliveries"("status", "updated_at");

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Destinations handed over by ingest-gateway's migration "destinations_move_to_dispatcher" (absent when this
-- schema is migrated on its own, as a test's shadow database is).
DO $$
BEGIN
  IF to_regclass('dispatcher.gateway_destinations_handover') IS NOT NULL THEN
    INSERT INTO "destinations" (id, account_id, channel_id, kind, settings, created_at)
      SELECT id, account_id, channel_id, type, jsonb_build_object('url', url), created_at
        FROM dispatcher.gateway_destinations_handover
      ON CONFLICT (id) DO NOTHING;
    DROP TABLE dispatcher.gateway_destinations_handover;
  END IF;
END $$;
