-- CreateTable
CREATE TABLE "webhooks" (
    "id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "delivery_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER,
    "response_status" INTEGER,
    "latency_ms" INTEGER,
    "error_code" TEXT,
    "error_message" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" UUID NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "signed_at" TIMESTAMPTZ(0) NOT NULL,
    "response_status" INTEGER,
    "response_excerpt" TEXT,
    "latency_ms" INTEGER,
    "error_code" TEXT,
    "error_message" TEXT,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhooks_message_id_idx" ON "webhooks"("message_id");

-- CreateIndex
CREATE INDEX "webhooks_status_created_at_idx" ON "webhooks"("status", "created_at");

-- CreateIndex
CREATE INDEX "webhook_attempts_webhook_id_started_at_idx" ON "webhook_attempts"("webhook_id", "started_at");

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
