CREATE TABLE "ad_referendum_deadlines" (
	"framework_id" uuid NOT NULL,
	"layer_id" text NOT NULL,
	"layer_title" text DEFAULT '' NOT NULL,
	"confirm_by" timestamp with time zone NOT NULL,
	"pending" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"party_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ad_referendum_deadlines_framework_id_layer_id_pk" PRIMARY KEY("framework_id","layer_id")
);
--> statement-breakpoint
ALTER TABLE "ad_referendum_deadlines" ADD CONSTRAINT "ad_referendum_deadlines_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ad_referendum_due_idx" ON "ad_referendum_deadlines" USING btree ("state","confirm_by");