CREATE TABLE "version_initialling" (
	"version_id" uuid PRIMARY KEY NOT NULL,
	"framework_id" uuid NOT NULL,
	"content_hash" text NOT NULL,
	"required_parties" jsonb NOT NULL,
	"deadline" timestamp with time zone,
	"frozen_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "version_initials" (
	"version_id" uuid NOT NULL,
	"party" text NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "version_initials_version_id_party_pk" PRIMARY KEY("version_id","party")
);
--> statement-breakpoint
ALTER TABLE "framework_versions" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "version_initialling" ADD CONSTRAINT "version_initialling_version_id_framework_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."framework_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_initialling" ADD CONSTRAINT "version_initialling_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_initialling" ADD CONSTRAINT "version_initialling_frozen_by_users_id_fk" FOREIGN KEY ("frozen_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_initials" ADD CONSTRAINT "version_initials_version_id_version_initialling_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."version_initialling"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_initials" ADD CONSTRAINT "version_initials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "framework_versions_hash_idx" ON "framework_versions" USING btree ("content_hash");