CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time_ms` integer NOT NULL,
	`type` text NOT NULL,
	`stream` text DEFAULT '' NOT NULL,
	`payload` text NOT NULL,
	`schema_version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_type_time` ON `events` (`type`,`time_ms`);--> statement-breakpoint
CREATE INDEX `events_time` ON `events` (`time_ms`);