ALTER TABLE `events` ADD `idempotency_key` text;--> statement-breakpoint
ALTER TABLE `events` ADD `approved_at_ms` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `events_idempotency_key` ON `events` (`idempotency_key`) WHERE "events"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_approvals_time` ON `events` (`approved_at_ms`) WHERE "events"."approved_at_ms" IS NOT NULL;