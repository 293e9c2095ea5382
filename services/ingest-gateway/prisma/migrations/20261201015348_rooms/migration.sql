-- CreateTable
CREATE TABLE "rooms" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "invite_code" TEXT NOT NULL,
    "outgoing_url" TEXT,
    "outgoing_enabled" BOOLEAN NOT NULL DEFAULT false,
    "outgoing_secret" TEXT,
    "previous_outgoing_secret" TEXT,
    "previous_outgoing_secret_valid_until" TIMESTAMPTZ(3),
    "outgoing_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rooms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "room_members" (
    "room_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "room_members_pkey" PRIMARY KEY ("room_id","channel_id")
);

-- CreateTable
CREATE TABLE "incoming_webhooks" (
    "id" TEXT NOT NULL,
    "room_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "action_number" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "emoji" TEXT,
    "sound" TEXT,
    "title" TEXT,
    "message" TEXT,
    "cooldown_seconds" INTEGER NOT NULL DEFAULT 5,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret_hash" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incoming_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "room_pings" (
    "id" TEXT NOT NULL,
    "room_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "webhook_id" TEXT,
    "trigger_source" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "messages" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "room_pings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "room_idempotency_keys" (
    "webhook_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "ping_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "room_idempotency_keys_pkey" PRIMARY KEY ("webhook_id","key_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "rooms_invite_code_key" ON "rooms"("invite_code");

-- CreateIndex
CREATE INDEX "rooms_account_id_id_idx" ON "rooms"("account_id", "id");

-- CreateIndex
CREATE INDEX "room_members_channel_id_idx" ON "room_members"("channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "incoming_webhooks_secret_hash_key" ON "incoming_webhooks"("secret_hash");

-- CreateIndex
CREATE UNIQUE INDEX "incoming_webhooks_room_id_action_number_key" ON "incoming_webhooks"("room_id", "action_number");

-- CreateIndex
CREATE INDEX "room_pings_room_id_id_idx" ON "room_pings"("room_id", "id");

-- AddForeignKey
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_members" ADD CONSTRAINT "room_members_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_members" ADD CONSTRAINT "room_members_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incoming_webhooks" ADD CONSTRAINT "incoming_webhooks_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "room_pings" ADD CONSTRAINT "room_pings_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE CASCADE;
