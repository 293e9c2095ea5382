-- CreateIndex
CREATE INDEX "messages_account_id_id_idx" ON "messages"("account_id", "id");

-- CreateIndex
CREATE INDEX "messages_channel_id_id_idx" ON "messages"("channel_id", "id");
