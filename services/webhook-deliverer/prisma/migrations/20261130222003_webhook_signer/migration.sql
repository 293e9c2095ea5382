-- Each webhook keeps its signer, so a failed one can be re-sent (POST /internal/webhooks/:id/resend). Rows
-- recorded before keep NULL and cannot be re-sent. An account's POSTs are listed newest first.

-- DropIndex
DROP INDEX "webhooks_account_id_idx";

-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN     "signer_id" TEXT,
ADD COLUMN     "signer_kind" TEXT;

-- CreateIndex
CREATE INDEX "webhooks_account_id_created_at_idx" ON "webhooks"("account_id", "created_at");
