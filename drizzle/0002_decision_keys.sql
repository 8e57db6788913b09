ALTER TABLE `events` ADD `idempotency_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `events_idempotency_key` ON `events` (`idempotency_key`) WHERE "events"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_approvals_time` ON `events` (`time_ms`) WHERE "events"."type" = 'risk_decision' AND json_extract("events"."payload", '$.approved') = 1;