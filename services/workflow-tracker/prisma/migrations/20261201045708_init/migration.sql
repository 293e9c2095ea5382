-- CreateTable
CREATE TABLE "workflows" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "validation_mode" TEXT NOT NULL,
    "stages" JSONB NOT NULL DEFAULT '[]',
    "stage_timeout_ms" INTEGER,
    "grace_period_ms" INTEGER,
    "alert_channels" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workflows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dynamic_stages" (
    "workflow_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "stage_name" TEXT,

    CONSTRAINT "dynamic_stages_pkey" PRIMARY KEY ("workflow_id","path")
);

-- CreateTable
CREATE TABLE "workflow_instances" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "agent_code" TEXT,
    "failure_reason" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "last_stage_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_instances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stage_executions" (
    "instance_id" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "stage_name" TEXT,
    "agent_code" TEXT,
    "payload" JSONB,
    "executed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stage_executions_pkey" PRIMARY KEY ("instance_id","path")
);

-- CreateTable
CREATE TABLE "failed_pings" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "instance_id" TEXT,
    "stage" TEXT NOT NULL,
    "agent_code" TEXT,
    "error" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "failed_pings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "process_hooks" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "max_duration_ms" INTEGER NOT NULL,
    "alert_channels" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "process_hooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "process_runs" (
    "id" TEXT NOT NULL,
    "hook_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "overdue_at" TIMESTAMPTZ(3),
    "agent" TEXT,
    "start_metadata" JSONB,
    "finish_metadata" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "process_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitors" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "interval_ms" INTEGER,
    "cron" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "grace_ms" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'new',
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "last_ping_at" TIMESTAMPTZ(3),
    "expected_at" TIMESTAMPTZ(3),
    "repeat_alert_ms" INTEGER,
    "depends_on" TEXT,
    "alert_channels" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "monitors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitor_pings" (
    "id" TEXT NOT NULL,
    "monitor_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "metadata" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "monitor_pings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_messages" (
    "message_id" TEXT NOT NULL,
    "alert_id" TEXT NOT NULL,

    CONSTRAINT "alert_messages_pkey" PRIMARY KEY ("message_id")
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
CREATE INDEX "workflows_account_id_id_idx" ON "workflows"("account_id", "id");

-- CreateIndex
CREATE INDEX "workflow_instances_workflow_id_started_at_idx" ON "workflow_instances"("workflow_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "failed_pings_workflow_id_received_at_idx" ON "failed_pings"("workflow_id", "received_at" DESC);

-- CreateIndex
CREATE INDEX "process_hooks_account_id_id_idx" ON "process_hooks"("account_id", "id");

-- CreateIndex
CREATE INDEX "process_runs_hook_id_started_at_idx" ON "process_runs"("hook_id", "started_at");

-- CreateIndex
CREATE INDEX "monitors_account_id_id_idx" ON "monitors"("account_id", "id");

-- CreateIndex
CREATE INDEX "monitors_depends_on_idx" ON "monitors"("depends_on");

-- CreateIndex
CREATE INDEX "monitor_pings_monitor_id_received_at_idx" ON "monitor_pings"("monitor_id", "received_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_subject_kind_subject_id_created_at_idx" ON "alerts"("subject_kind", "subject_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "alerts_account_id_created_at_idx" ON "alerts"("account_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "alert_messages_alert_id_idx" ON "alert_messages"("alert_id");

-- CreateIndex
CREATE INDEX "outbox_created_at_id_idx" ON "outbox"("created_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "deadlines_kind_key_key" ON "deadlines"("kind", "key");

-- AddForeignKey
ALTER TABLE "dynamic_stages" ADD CONSTRAINT "dynamic_stages_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_instances" ADD CONSTRAINT "workflow_instances_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stage_executions" ADD CONSTRAINT "stage_executions_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "workflow_instances"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "process_runs" ADD CONSTRAINT "process_runs_hook_id_fkey" FOREIGN KEY ("hook_id") REFERENCES "process_hooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monitor_pings" ADD CONSTRAINT "monitor_pings_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_messages" ADD CONSTRAINT "alert_messages_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One running instance per workflow: a new start and a racing stage-1 ping cannot both open one.
CREATE UNIQUE INDEX "workflow_instances_one_running" ON "workflow_instances"("workflow_id") WHERE status = 'running';
