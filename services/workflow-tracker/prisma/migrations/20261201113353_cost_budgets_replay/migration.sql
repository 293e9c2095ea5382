-- AlterTable
ALTER TABLE "workflows" ADD COLUMN     "events_url" TEXT;

-- AlterTable
ALTER TABLE "workflow_instances" ADD COLUMN     "cost_micros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "fork_from_stage" TEXT,
ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'ping',
ADD COLUMN     "paused_by" TEXT,
ADD COLUMN     "payload_modifications" JSON,
ADD COLUMN     "session_id" TEXT,
ADD COLUMN     "source_instance_id" TEXT;

-- CreateTable
CREATE TABLE "instance_steps" (
    "instance_id" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "stage_name" TEXT,
    "agent_code" TEXT,
    "executed_at" TIMESTAMPTZ(3) NOT NULL,
    "response_time_ms" INTEGER,
    "model_id" TEXT,
    "input_tokens" INTEGER,
    "output_tokens" INTEGER,
    "total_tokens" INTEGER,
    "cost_micros" BIGINT,
    "unpriced" BOOLEAN NOT NULL DEFAULT false,
    "cumulative_cost_micros" BIGINT NOT NULL,
    "context_size_bytes" INTEGER,
    "handoff_reason" TEXT,
    "tool_calls" JSON,
    "payload" JSON,
    "copied_from" TEXT,

    CONSTRAINT "instance_steps_pkey" PRIMARY KEY ("instance_id","step")
);

-- CreateTable
CREATE TABLE "workflow_budgets" (
    "workflow_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "limit_micros" BIGINT,
    "alert_threshold_micros" BIGINT,
    "daily_limit_micros" BIGINT,
    "action" TEXT NOT NULL,
    "anomaly_detection" BOOLEAN NOT NULL,
    "anomaly_multiplier" DOUBLE PRECISION NOT NULL,
    "agent_daily_limits" JSONB NOT NULL DEFAULT '{}',
    "approval_timeout_seconds" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflow_budgets_pkey" PRIMARY KEY ("workflow_id")
);

-- CreateTable
CREATE TABLE "daily_costs" (
    "workflow_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "agent_code" TEXT NOT NULL,
    "cost_micros" BIGINT NOT NULL,

    CONSTRAINT "daily_costs_pkey" PRIMARY KEY ("workflow_id","day","agent_code")
);

-- CreateTable
CREATE TABLE "cost_alerts" (
    "id" SERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "alert_type" TEXT NOT NULL,
    "current_cost_micros" BIGINT NOT NULL,
    "threshold_micros" BIGINT NOT NULL,
    "action_taken" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "agent_code" TEXT,
    "alert_id" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cost_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_prices" (
    "account_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "input_micros_per_mtok" BIGINT NOT NULL,
    "output_micros_per_mtok" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_prices_pkey" PRIMARY KEY ("account_id","model_id")
);

-- CreateIndex
CREATE INDEX "instance_steps_workflow_id_executed_at_idx" ON "instance_steps"("workflow_id", "executed_at");

-- CreateIndex
CREATE INDEX "cost_alerts_workflow_id_id_idx" ON "cost_alerts"("workflow_id", "id" DESC);

-- CreateIndex
CREATE INDEX "cost_alerts_instance_id_idx" ON "cost_alerts"("instance_id");

-- CreateIndex
CREATE INDEX "cost_alerts_alert_id_idx" ON "cost_alerts"("alert_id");

-- CreateIndex
CREATE INDEX "workflow_instances_workflow_id_status_completed_at_idx" ON "workflow_instances"("workflow_id", "status", "completed_at" DESC);

-- AddForeignKey
ALTER TABLE "instance_steps" ADD CONSTRAINT "instance_steps_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "workflow_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_budgets" ADD CONSTRAINT "workflow_budgets_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_costs" ADD CONSTRAINT "daily_costs_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cost_alerts" ADD CONSTRAINT "cost_alerts_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The current run: at most one run started by a ping is running or paused per workflow (pings without an
-- instance id go to it). Forks and re-runs run beside it.
DROP INDEX "workflow_instances_one_running";
CREATE UNIQUE INDEX "workflow_instances_one_current" ON "workflow_instances"("workflow_id") WHERE status IN ('running', 'paused') AND origin = 'ping';
