-- CreateTable
CREATE TABLE "reviewers" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel_ids" TEXT[],
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reviewers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "timeout_seconds" INTEGER NOT NULL,
    "timeout_action" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "result" INTEGER,
    "notes" TEXT,
    "decided_by" TEXT,
    "decided_via" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "reminded_at" TIMESTAMPTZ(3),
    "callback_url" TEXT,
    "metadata" JSON,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_reviewers" (
    "approval_id" TEXT NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel_ids" TEXT[],
    "role" TEXT NOT NULL,

    CONSTRAINT "approval_reviewers_pkey" PRIMARY KEY ("approval_id","reviewer_id")
);

-- CreateTable
CREATE TABLE "approval_messages" (
    "message_id" TEXT NOT NULL,
    "approval_id" TEXT NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,

    CONSTRAINT "approval_messages_pkey" PRIMARY KEY ("message_id")
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
CREATE INDEX "reviewers_account_id_id_idx" ON "reviewers"("account_id", "id");

-- CreateIndex
CREATE INDEX "approvals_account_id_id_idx" ON "approvals"("account_id", "id");

-- CreateIndex
CREATE INDEX "approvals_account_id_status_id_idx" ON "approvals"("account_id", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "approvals_account_id_idempotency_key_key" ON "approvals"("account_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "approval_messages_approval_id_idx" ON "approval_messages"("approval_id");

-- CreateIndex
CREATE INDEX "outbox_created_at_id_idx" ON "outbox"("created_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadlines_kind_key_key" ON "deadlines"("kind", "key");

-- AddForeignKey
ALTER TABLE "approval_reviewers" ADD CONSTRAINT "approval_reviewers_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals"("id") ON DELETE CASCADE ON UPDATE CASCADE;
