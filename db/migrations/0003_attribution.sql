CREATE TABLE "document_attributions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"framework_id" uuid NOT NULL,
	"user_id" uuid,
	"inserted" jsonb NOT NULL,
	"deleted" jsonb NOT NULL,
	"up_to_update_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_attributions" ADD CONSTRAINT "document_attributions_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_attributions" ADD CONSTRAINT "document_attributions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_attributions_framework_idx" ON "document_attributions" USING btree ("framework_id");