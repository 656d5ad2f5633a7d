CREATE TABLE "amendment_sponsors" (
	"amendment_id" uuid NOT NULL,
	"party" text NOT NULL,
	"party_name" text NOT NULL,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amendment_sponsors_amendment_id_party_pk" PRIMARY KEY("amendment_id","party")
);
--> statement-breakpoint
CREATE TABLE "amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"framework_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"layer_id" text NOT NULL,
	"target" jsonb NOT NULL,
	"base_text" text NOT NULL,
	"proposed_text" text NOT NULL,
	"justification" text DEFAULT '' NOT NULL,
	"party" text,
	"party_name" text,
	"tabled_by" uuid,
	"tabled_by_name" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'tabled' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"compromise_of" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"superseded_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "amendment_sponsors" ADD CONSTRAINT "amendment_sponsors_amendment_id_amendments_id_fk" FOREIGN KEY ("amendment_id") REFERENCES "public"."amendments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_sponsors" ADD CONSTRAINT "amendment_sponsors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendments" ADD CONSTRAINT "amendments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendments" ADD CONSTRAINT "amendments_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendments" ADD CONSTRAINT "amendments_tabled_by_users_id_fk" FOREIGN KEY ("tabled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendments" ADD CONSTRAINT "amendments_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "amendments_framework_number_idx" ON "amendments" USING btree ("framework_id","number");--> statement-breakpoint
CREATE INDEX "amendments_framework_layer_idx" ON "amendments" USING btree ("framework_id","layer_id");