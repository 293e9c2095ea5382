-- CreateTable
CREATE TABLE "closed_channels" (
    "channel_id" TEXT NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "closed_channels_pkey" PRIMARY KEY ("channel_id")
);
