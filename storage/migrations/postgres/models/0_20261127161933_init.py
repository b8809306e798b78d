from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "audit_log" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "actor" VARCHAR(64) NOT NULL,
    "action" VARCHAR(60) NOT NULL,
    "subject_type" VARCHAR(40) NOT NULL,
    "subject_id" VARCHAR(64) NOT NULL,
    "details" JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_log_subject_787ea6" ON "audit_log" ("subject_type", "subject_id");
CREATE INDEX IF NOT EXISTS "idx_audit_log_at_63718d" ON "audit_log" ("at");
CREATE TABLE IF NOT EXISTS "card_instances" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "kind" VARCHAR(40) NOT NULL,
    "owner_id" VARCHAR(64),
    "subject_type" VARCHAR(40),
    "subject_id" VARCHAR(64),
    "status" VARCHAR(20) NOT NULL,
    "state" JSONB NOT NULL,
    "version" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_card_instan_owner_i_892c6b" ON "card_instances" ("owner_id");
CREATE INDEX IF NOT EXISTS "idx_card_instan_subject_0e70ed" ON "card_instances" ("subject_type", "subject_id");
CREATE INDEX IF NOT EXISTS "idx_card_instan_owner_i_2bddce" ON "card_instances" ("owner_id", "kind", "status");
CREATE TABLE IF NOT EXISTS "card_deliveries" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(20) NOT NULL,
    "app" VARCHAR(40) NOT NULL,
    "recipient" VARCHAR(128) NOT NULL,
    "handle" VARCHAR(128) NOT NULL,
    "response_code" VARCHAR(256),
    "response_code_at" TIMESTAMPTZ,
    "rendered_version" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "card_id" VARCHAR(64) NOT NULL REFERENCES "card_instances" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_card_delive_platfor_eb5b18" UNIQUE ("platform", "app", "handle", "recipient")
);
CREATE INDEX IF NOT EXISTS "idx_card_delive_card_id_f8323b" ON "card_deliveries" ("card_id", "recipient");
COMMENT ON TABLE "card_deliveries" IS 'Where a card was shown; the platform handle needed to update it in place.';
CREATE TABLE IF NOT EXISTS "inbox" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(20) NOT NULL,
    "app" VARCHAR(40) NOT NULL,
    "dedupe_key" VARCHAR(200) NOT NULL,
    "user_key" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "payload" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "attempts" SMALLINT NOT NULL,
    "available_at" BIGINT NOT NULL,
    "lease_until" BIGINT NOT NULL,
    "worker" VARCHAR(80),
    "received_at" BIGINT NOT NULL,
    "done_at" BIGINT,
    "error" TEXT,
    CONSTRAINT "uid_inbox_platfor_541887" UNIQUE ("platform", "dedupe_key")
);
CREATE INDEX IF NOT EXISTS "idx_inbox_status_923689" ON "inbox" ("status", "id");
CREATE INDEX IF NOT EXISTS "idx_inbox_user_ke_556f39" ON "inbox" ("user_key", "status", "id");
CREATE TABLE IF NOT EXISTS "media" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sha256" VARCHAR(64) NOT NULL UNIQUE,
    "content_type" VARCHAR(100) NOT NULL,
    "size" INT NOT NULL,
    "path" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "media" IS 'An original file (voice note, image, attachment) kept on disk by content hash.';
CREATE TABLE IF NOT EXISTS "outbox" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "dedupe_key" VARCHAR(200) NOT NULL UNIQUE,
    "platform" VARCHAR(20) NOT NULL,
    "app" VARCHAR(40) NOT NULL,
    "recipient" VARCHAR(200) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "payload" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "attempts" SMALLINT NOT NULL,
    "available_at" BIGINT NOT NULL,
    "lease_until" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "sent_at" BIGINT,
    "error" TEXT
);
CREATE INDEX IF NOT EXISTS "idx_outbox_status_5e51f2" ON "outbox" ("status", "available_at", "id");
CREATE INDEX IF NOT EXISTS "idx_outbox_platfor_311ae3" ON "outbox" ("platform", "app", "recipient", "status", "id");
CREATE INDEX IF NOT EXISTS "idx_outbox_platfor_da1b02" ON "outbox" ("platform", "app", "recipient", "sent_at");
CREATE TABLE IF NOT EXISTS "teams" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "region" VARCHAR(64) NOT NULL,
    "region_name" VARCHAR(100) NOT NULL,
    "lead_id" VARCHAR(64)
);
CREATE INDEX IF NOT EXISTS "idx_teams_region_a9780f" ON "teams" ("region");
CREATE TABLE IF NOT EXISTS "people" (
    "id" VARCHAR(64) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "supervisor_id" VARCHAR(64),
    "title" VARCHAR(100),
    "active" BOOL NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "team_id" VARCHAR(64) REFERENCES "teams" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_people_role_38e341" ON "people" ("role");
CREATE INDEX IF NOT EXISTS "idx_people_supervi_ee8d29" ON "people" ("supervisor_id");
CREATE TABLE IF NOT EXISTS "clients" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL UNIQUE,
    "aliases" JSONB NOT NULL,
    "region" VARCHAR(64),
    "city" VARCHAR(64),
    "industry" VARCHAR(64),
    "source" VARCHAR(64),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" VARCHAR(64) REFERENCES "people" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_clients_region_3ae769" ON "clients" ("region");
CREATE INDEX IF NOT EXISTS "idx_clients_owner_i_7c9411" ON "clients" ("owner_id", "name");
CREATE TABLE IF NOT EXISTS "contacts" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "title" VARCHAR(100),
    "phone" VARCHAR(40),
    "valid" BOOL NOT NULL,
    "created_by_id" VARCHAR(64),
    "created_at" TIMESTAMPTZ NOT NULL,
    "client_id" INT NOT NULL REFERENCES "clients" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_contacts_client__95f583" UNIQUE ("client_id", "name")
);
CREATE INDEX IF NOT EXISTS "idx_contacts_created_23f68d" ON "contacts" ("created_by_id", "created_at");
CREATE TABLE IF NOT EXISTS "deals" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "title" VARCHAR(200) NOT NULL,
    "stage" VARCHAR(40) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "amount" DECIMAL(16,2),
    "source" VARCHAR(64),
    "region" VARCHAR(64),
    "product_line" VARCHAR(64),
    "products" JSONB NOT NULL,
    "contact_name" VARCHAR(100),
    "stage_entered_at" TIMESTAMPTZ NOT NULL,
    "expected_close" DATE,
    "closed_at" TIMESTAMPTZ,
    "lost_reason" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "client_id" INT NOT NULL REFERENCES "clients" ("id") ON DELETE CASCADE,
    "owner_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_deals_owner_i_467f15" ON "deals" ("owner_id", "status");
CREATE INDEX IF NOT EXISTS "idx_deals_status_00e6c1" ON "deals" ("status", "stage", "stage_entered_at");
CREATE INDEX IF NOT EXISTS "idx_deals_region_4e37e2" ON "deals" ("region", "stage");
CREATE INDEX IF NOT EXISTS "idx_deals_source_e80d47" ON "deals" ("source", "created_at");
CREATE INDEX IF NOT EXISTS "idx_deals_product_473f87" ON "deals" ("product_line", "created_at");
CREATE INDEX IF NOT EXISTS "idx_deals_client__31f692" ON "deals" ("client_id", "status");
CREATE INDEX IF NOT EXISTS "idx_deals_closed__533fe0" ON "deals" ("closed_at");
CREATE TABLE IF NOT EXISTS "approvals" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "template" VARCHAR(40) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "amount" DECIMAL(16,2),
    "form" JSONB NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "current_step" SMALLINT NOT NULL,
    "sla_due_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "decided_at" TIMESTAMPTZ,
    "client_id" INT REFERENCES "clients" ("id") ON DELETE SET NULL,
    "deal_id" INT REFERENCES "deals" ("id") ON DELETE SET NULL,
    "requester_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_approvals_status_529c6e" ON "approvals" ("status", "sla_due_at");
CREATE INDEX IF NOT EXISTS "idx_approvals_request_0019e9" ON "approvals" ("requester_id", "created_at");
CREATE TABLE IF NOT EXISTS "approval_attachments" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "filename" VARCHAR(255) NOT NULL,
    "media_id" INT NOT NULL,
    "uploaded_by_id" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "approval_id" INT NOT NULL REFERENCES "approvals" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "approval_steps" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "seq" SMALLINT NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "comment" TEXT,
    "decided_at" TIMESTAMPTZ,
    "reminded_at" TIMESTAMPTZ,
    "escalated_at" TIMESTAMPTZ,
    "approval_id" INT NOT NULL REFERENCES "approvals" ("id") ON DELETE CASCADE,
    "approver_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_approval_st_approva_87e400" UNIQUE ("approval_id", "seq", "approver_id")
);
CREATE INDEX IF NOT EXISTS "idx_approval_st_approve_80c055" ON "approval_steps" ("approver_id", "status");
CREATE TABLE IF NOT EXISTS "commission_ledger" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(10) NOT NULL,
    "contract_year" SMALLINT NOT NULL,
    "basis" DECIMAL(16,2) NOT NULL,
    "rate" DECIMAL(6,4) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "deal_id" INT NOT NULL REFERENCES "deals" ("id") ON DELETE RESTRICT,
    "person_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_commission__deal_id_6a07fc" UNIQUE ("deal_id", "contract_year", "kind")
);
CREATE INDEX IF NOT EXISTS "idx_commission__person__8ea12c" ON "commission_ledger" ("person_id", "created_at");
CREATE TABLE IF NOT EXISTS "followups" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "raw_text" TEXT NOT NULL,
    "transcript" TEXT,
    "audio" JSONB NOT NULL,
    "extracted" JSONB NOT NULL,
    "fields_final" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "card_id" VARCHAR(64) UNIQUE,
    "client_id" INT REFERENCES "clients" ("id") ON DELETE SET NULL,
    "deal_id" INT REFERENCES "deals" ("id") ON DELETE SET NULL,
    "rep_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_followups_client__2a2635" ON "followups" ("client_id", "occurred_at");
CREATE INDEX IF NOT EXISTS "idx_followups_rep_id_9c94cc" ON "followups" ("rep_id", "occurred_at");
CREATE TABLE IF NOT EXISTS "identities" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(20) NOT NULL,
    "external_id" VARCHAR(128) NOT NULL,
    "person_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_identities_platfor_401a9b" UNIQUE ("platform", "external_id")
);
COMMENT ON TABLE "identities" IS 'A person''s user id on one platform; one person may have several.';
CREATE TABLE IF NOT EXISTS "incentive_ledger" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "award_id" VARCHAR(40) NOT NULL,
    "period" VARCHAR(16) NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "details" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "person_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_incentive_l_person__117d4c" UNIQUE ("person_id", "award_id", "period")
);
CREATE TABLE IF NOT EXISTS "stage_history" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "from_stage" VARCHAR(40),
    "to_stage" VARCHAR(40) NOT NULL,
    "changed_at" TIMESTAMPTZ NOT NULL,
    "changed_by_id" VARCHAR(64),
    "followup_id" INT,
    "deal_id" INT NOT NULL REFERENCES "deals" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_stage_histo_deal_id_bc73db" ON "stage_history" ("deal_id", "changed_at");
CREATE INDEX IF NOT EXISTS "idx_stage_histo_to_stag_202b19" ON "stage_history" ("to_stage", "changed_at");
CREATE TABLE IF NOT EXISTS "tasks" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(30) NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "due_at" TIMESTAMPTZ,
    "status" VARCHAR(12) NOT NULL,
    "reminded_at" TIMESTAMPTZ,
    "escalation_level" SMALLINT NOT NULL,
    "source_id" VARCHAR(100) UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "assignee_id" VARCHAR(64) NOT NULL REFERENCES "people" ("id") ON DELETE CASCADE,
    "client_id" INT REFERENCES "clients" ("id") ON DELETE CASCADE,
    "deal_id" INT REFERENCES "deals" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_tasks_status_d35e8f" ON "tasks" ("status", "due_at");
CREATE INDEX IF NOT EXISTS "idx_tasks_assigne_a405e3" ON "tasks" ("assignee_id", "status");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXWtz27gV/SscfWl2xs1Ysi17u53O+JXEXT92Yqe7s5mOBiZhmTVFcknKjrvNfy/AJw"
    "iCECCRFAnjU2ICl5IOQPDec19/jhaeBZ3w/bHvB94zcEZ/M/4cuWAB0X8qYzvGCPh+MYIv"
    "RODeiSeDdFZ8FdyHUQDMCA08oEsQXbJgaAa2H9mei666S8fBFz0TTbTdeXFp6dp/LOEs8u"
    "YweoQBGvj6b3TZdi34DYb4z6+jMALRMv6g0AEzC00H0QjN+joKIBIOIxjMbAuPmwEEEbTi"
    "cXwb/2n2YEPHKv3OZGp8fRa9+vG1Czf6EE/E3/J+ZnrOcuEWk/3X6NFz89m2G+Grc+jCAH"
    "8euhYFS/yz8a9KIcqQSH5hMSX5aYSMBR/A0okImO5nxbXRbHZ9cze7Pb+bzUYSwJqeixcF"
    "fdUw/vVz/BX+OhnvH+4f7U33j9CU+GvmVw6/Jx9dAJMIxvBc342+x+MgAsmMeG0KUCO48B"
    "2ERRXa00cQsLElZSiE0VenEc7w5EGcXSgwLvZjFyAvwLeZA9159Ij+3N/lIPqv48+nn44/"
    "v9vf/QF/oIcen+TBuk5HJvEQBp0A2Y4cOYQzAQXhneyK4Itm1QIcj5URBgtvmTzcZYjPoG"
    "kvgMNGuRCiYLYSqfeptADk6ZHQF8Q5AJ+dn15cHV++G093JjHC4R+OHUF6b5fhffCCRRXc"
    "f97eXLORzebTuNpmZPzPcOywcg43tY1Hf39YuibGy7hf2k5ku+F7/LH/GHUPNcYH33kRIo"
    "zJLfzu6vg3enefXt6cxJB5YTQP4rvENzihlqJ4qYoeJoVEd6fJyIeuhWHr5EgZTwROlPGk"
    "9kDBQ2WUzWUQQDeaIR3Fr2J9iw4Fp1b1oGVXKyFNob7brhKyNzmc5voH/oOnetyiQ+Yy0z"
    "+I7VtogtXDGsER2QtYs41LkvTJkoq+z/6j1Jl9d3F1fnt3fPVL6TQ5O747xyOT+OordfXd"
    "lNru+U2MXy/uPhn4T+P3m+tz+tDJ5939PsLfCSwjb+Z6LzNgkZhkl7NL5cen0OclV7ks2c"
    "Aq904ZQj/QunGd13QHDmTZ04eFu+pYbbLWWvWypH62e/1sOzZ+u0lZ4yWZtd6HPVvQZsxy"
    "8tEBjhykhIQGtAoozTCJKsu0nIIG+HRfQFue7tdqy3jo+3dM0z08MTmlHMMq8B+8ANpz92"
    "f4GsN/gb4mcE0W1ZGymr/AIEQ/dniYf892Vna1eOYC8JLTm5UNhyBAPxwmFvlndFp/vji9"
    "GzFO4AbAPc1vNKzDQhTb0munBCz6Bsb1l8vLUeUUbgDWMzhgzmglqMSLpwZSfDTcA/PpBQ"
    "TWrOaMAFEEzMcFxB9eQfwkFf7w82fogPiH1IKduT2O8xsqdFhQzA/0GwLrNqUmVIEJ7zhv"
    "4hE7rbQHq0OLyYK+Alwwj38S/mz8SfUbjON9K2/D1X64GfUgtOqS0661Ll1rDzZSucBCyv"
    "FDyiioek4ODkR8PwcH9b4fPFZW9RfQsoGc8USKdEfP9n4vF5gufccDmJG5f5U0oKqSCu7j"
    "ZkwozZiKQa8uY5prAVKnFyWlD7D0AONQEoAIjtrQuiPjrAYGsqiJR22wkpl3enx7enx2zr"
    "PyutDGYwuGo4dnFo6ABp7bVc3q3l9pGEP4R/qN0NWE7/l3JWaOHN3Jffc6KK5TzT1dKRmn"
    "fyqi0lnchLv/Cf0EGe0xm99hpEr6xI06URzHIrFv4/rQt3ElNGsg8UAvwI6GHA/kLRZMzv"
    "0OfqvzeRYia+HcT3qYqXWf/3ZXUrgrcW650n15c/0xm04Hv9EeUR1MoH4wQQAXGMV1lpkS"
    "1evc53VGCABnTYKDltUr3eeV1pRGW5wsZRqKqnuUmGZj5QNaNHs0apo9Ym3sBuBVPlyIep"
    "prooW2xM0tLTu69OYjFi+Xje1wOTk8a+ak01rOTl3e/weaUbKD0GD2N6blcI6qdC7qiT1/"
    "K8zbj5PJ3t7hZHdvenSwf3h4cLSbv9yqQ7y33MnFR/yiKx3Mq/k5eR1SWeeYUqqjGXmMlw"
    "BHtckEtFIj4GIGZhYcJoEvO5xMCYBFqNhpPRU7rVKx1BtFmJCl5BQEu/mceuJ1vQbU2hYS"
    "PjYsGAHbYXgY6tO/CRGdAc5nxgUzwCvG6XY0/FN0hzPo2MgAeR0xtPzSOFfTN/F3sZKpNh"
    "Rzv49+Rbo8NICBhY0XEBrho/fi/mQgHd/AFUlw2QHjEbiWAw0XQgtaRuQZSx/rd4YdGbaL"
    "p5nw/Yha2GbvzAwGyO6SwYL+Se6H/xdA0/bjXIxqRECMVHJeUdN0QEBXAQHk4om+akgZBV"
    "80E7EqLpwiLhX91GeUWuDymopC27yyVBwcEgCXhBSEeTw5EgoTOOLECRzRSBdnuijMhYTG"
    "WAxjpBv56EMhAtGSgroiqEJgBp1hMRXKsKB5HjLDYsoFfC1XfVVee3H7TMUFEGEYQGuG1P"
    "OQyRrV6pQsUWVKIDXmzNX5HvVQq5vvQdhyou8sQkRB/aB11z2Grwq3fKUEdBty1sBAFy6Y"
    "UGy2PiV9lNCvoZ3I1VlBO9np1E5qIK/wMnsvbu7Mz4Lf10r6qD9Bmjw8tsvytMJ017M+/U"
    "9eGDAlQW58UYBJmZZMt+Hv5574I3tmnCnrjuw1zi3s6WGkO3k+dNvyN7bNw2PAGOdFvbs3"
    "F9DO3pId2kS5b3n+ZSu0y7itva5pl65O7oHQLEL0ZeKYX2eZy5J6mXu3zBKRMGQMExloQo"
    "VtS9TPo+Nbhrn23dbPS4uMsmibvPwoh7CJ53TB1JDGZfxFdYxNpzE2sqXymi2T1yNiq50G"
    "SY4NQtbxV6/WEyL9UOzx5ymj2AdwLhmNX0ho7mslT2Da0auUmy2drzmY1diin7VEnyeFLy"
    "mjMRbgubxlYMqxtrmExlfX29wEenXjLzQvoNqqM3iCSuH8nroaB3+ecsJuYviqeLdXz6Fn"
    "cIsG3JDbbJNuGmRX7/XpLYniJAPBu/zO99wImJs2HDlN7jLAI14IJNzeZUOEBPvfDBKeB8"
    "9xvJflpo1YPsS3+SLShGWIT1oEwqcNEbpDt1AInVYZdm+xsEPs9L2E1jymt6tcOz1nh8u6"
    "57ORzpBPb7g8NtFICp/M+NazVwjiz4pD6aq5sH6sDmRChSGmqfpOqXodGNliQefKs1BGeU"
    "XvcVpYpUqKTRQkvwehzXgznUHTRsCyQc1laLM/EXqfCg8QWA5+Z+enFwjCd+PpTlIoGxn0"
    "dmKbkAGSlFODGTnGBTcTeYvYTnf2haEFC2/Jyt/mglsIvUV4x/sSW1cTwvXH7zCpQbGW9V"
    "333e7d4jYcYVlS0UUVxJKQglpi63yrn/OkXRGufQNclHEtbTWBZtvd9oQeKqp1TaG3XZI4"
    "I2uZjEjO4/KIkIIybpr/KHUnLyIOy8W/Ut0ib6apSY+3GZ/Yq9fZWChCccyJUBxXIxQjO5"
    "IrnJQLqOefbQVgH4EkBXAuoB7AzSeAPgOHWRTe8xwI3JpUrUyGAvgeCbV1SGRHcrcm+cnN"
    "zWXJJDy5oHuAfbk6OUd7mjLY61O4pDtTVwTV29Y6Tk7TIo3UKSJVU0E9siSjqZHVPalNh1"
    "2RU744UX6jgQEsXJaI3Fp9KkwUW/UM2zKz9usNyzzMpsOstqyuEK47VFRFQP+bw/w/MwR0"
    "XL0PG5h4YpF1kkxMpPNYc9IexSN+4FlLM5o5tsscLy0l+YVMxwu1XbsFu7Zju2u9bLBRJ+"
    "pTK5l3+fMlnMiRCSjIHLRQeEcXhGk7ImXbrueemVxNB03oVK92TdgeZtoqhS+t8gnTi5Sc"
    "xloYa6k8flJGJ/KXGJgmEvlTF+FM1j9Ey6m3/VvxYlSs1KpawqUlWfIKkpMDISMzTLhsJP"
    "zmQxOTCDFHwF5w9mJXJXlLPbznjaeKopWjT6qcYpF8ZkqCunFHn58VtFLRLICAGQ1W/zKi"
    "xNR7F7VC7Wjn2Jt4pnTViPqHbJg+UMayV7PFtQ+0hfDwrdTi6B2oHffA0Y7mbEtt7miubO"
    "YGcFU+6L62zIlIfLgucyJb5iRL3t+40km1ZoAiG1TX9JBG6dEOI49V9FEGo1vMvn0q7qTi"
    "dtLFT7osfpI/dYwwLPKJrA/FKj3+LYdjlRUM01wG5VgrnzWk46G6jIfCiksEvzH05Tt0tc"
    "ZhTMgoEBXFs+LPf7vju9ByI/7y5vpjNp32q1GpPwFwky8qA3pZSgXKsmvcwdKyvSrknJLw"
    "mYD2I/MXYw0/Mtrn+MUDGWd6/YKUhPqxKEq130peEOjzXFYWeP260HJ6aRpfGlJFqqwMn5"
    "anRBXk5YfLw1fdL9rLVrvMA3W/CKWgFa3IhSOqCpFGtMEe9QRqIbFzK+6tnincTXu3ui8n"
    "pTigBSMiHrvta1fh2q5ChJ72Z632ZxFE3eoKUt27X3t2KGzufS26IWyvNNdAQa2rzCXSYK"
    "JN3v7CQmuNm64xePt8bIfH29vJrLSp60rifnRsJLXf/hIayxAGhm0ZyDj2XGj4DogevGDx"
    "U/JXPMtYgFfjETxDI4TPaF8470fUujRyQ2ZlsEwcT4DfIhi4yRrS9cG0Y6BLxwC5KsI5To"
    "SMgvrIRCyolhNTS5sl5HaXwJkSUxDq8eRIJJlmclSfTIPHdLHW7SvZulirqPJSX6x1y4Vf"
    "Ltx779sVDEMQv3SqGgw5ztdi8EwhBUYq8qCsRFjQWvpw9gRfGTVGi3oIWMXAcQhYm4kn7x"
    "jUqJTGcWLP34rS8eNksrd3ONndmx4d7B8eHhzt5tpHdYinhpxcfMSaSOlo0apJL1QT/AxL"
    "4JtOVxDa5ou4EOeTBMJlKQWBbiVpjTzcRZEmZTTOYjjrJlktnsU+eHU8wMC3PlyMEFEC4q"
    "6DxeoKbfEbktUW22oxHW63XV2viTZkIIrgwmfVceHDScppQElAn4Ed/0ZmmAjPEqEllYG1"
    "E5uEqDwAQQhnSzeyGU4Z3gJQghr/9fB/8YInVjZivcZRSKgQPF1WOY5EVI6jepXjqNrbEJ"
    "rQfq6JQ+Ptb0pQpbTwjre45bny5zshpFCETcfIwyDwGGdLvbadC6hwtHShalf8Bdsitk3s"
    "VX+G9a3E6Sk7fHo7ndxiI/GSlwC8EFGgMLA97TbfrtucXBBh7vRlw1De3r0vWyZQ050uAX"
    "EhoSDA46mIr5yObidc5dO+1cDuG94cfPMi2BOJItgWjJAZLlXXlhDR6VV8HWSdsrY66+YN"
    "Zt3ogCAdEDTMgKBtdxq+gpYNRgxzKRnY4RlJi3zK6iBm1/ACe47zio0H24HGu2fPNqHheh"
    "GajZSJOfoHRBEwHxfI8PrBeIJ+hMOSLTt8Mu5fDVx2HA0YjyB8ZIQ0N3771VVRtDnWpTkW"
    "PoLJwVTmeC8kmjnb1U6rTPZ/gpEEyLScgq/RdtoB2P9l4Fzvjk6nq0TCN5Zs6QO0TjJ6Xz"
    "pfwb16ILRXDzh79UCXC3+7JlVPyPybZcQPUy9P4OqoXjy1efqeE45OR2Zk4elk5HIaZRtA"
    "0/az7NhqQPtKCfzqlS61p+Pbm3U31iut/YkP7pHy2krUqs4k0JkEQ3aElY51UYBLQgrCrO"
    "Pbh3ZC6Ph2Hd8+6HBsHd+u49vViq/W8e3bxZ/HnvHg53JngyZ+O16AjCSRQp8Q0tHXOvq6"
    "r4pgTwjbNH6DwdQWkR31FK0PPd+BrVO0UhxpvT3YZLhQj1i5plzK9WSobKP5jRrM9+7V17"
    "5LOfAcKXyz+W3hu02GuWleI1z6MHi2Q0+2B2hFsKU32/APDqKtjh3J7eRcQAW1oYOTAr1h"
    "7WcGwiceOhKAW2OP50IUyvdIqq0TOdvW3apnJzc3lyX17OSC1r++XJ2cI9ypPIGqCqx7cN"
    "dv9GHGTmQY8XpwRxAsJF8UhIh6p1jrkegYvSra0nHod+lthoW1aBA6scWkS2pvs5lx3w6u"
    "OrxpX3n8+2ZhBDft0JthdRtBkS69g8QrKaK/aednxToNUCHauj+2FGC4hcCGUAn2WBgkPN"
    "23Dx8kTOV2DevjRDaHUBGnuPbBphhVS3SoCFV3ndYHA0+b3onbCF3/ZIeRFzDbtpTGd3ie"
    "ihDPnD0SU9uNKSea4JiPwJ0TPdeR8Rl/G3pMZyV2mZX4EHiLYh1Ebf2ylHrmfvPhseRuF2"
    "ZUvA0x7tvh2TbIxDFSgXlFnldJUkGucrjcZHyJucz3r7J9amlB9U6u5p1ZmZUl116VklIo"
    "BGnAPWv7dig1gSiHU++2TWXfwBUl1ev6VG650VNsHzJsncxurLdxcuO0s3xZawlzswaEId"
    "pdEKaQppO0VdOpVaNTpHKFYE9Ey96r17L3qqZMt9EtfYdXDF8ewNWajEt2tgnfhimkGrBf"
    "eqZ7qWS+1OW7cWLw6nLdWnyCRp4P3VEnz9B4IhIhNuH0V60mIy/wb1uHCaBE9aPU50cJIQ"
    "ASRwPaTc+Qoe3zsx5Z8sqkiTWR/Rh6y8CEsiHDpFAjFEuP0gxaiWfVBarq0R9mkKVIzV/K"
    "VBR9vCgxBZXqFqpDxnFVcmxbSUYTmH0gMBUElMNfZg96Axym8vWpqUORzWTSm7c7crhnG7"
    "cxbrh6xjaAqWpBsDSqpRdLrzh3nD3A4tzTrAIO545mtM+56wRonQDdExW1nQRoOLdZ7Sh4"
    "BfQyCfWSoJu3AhK0ZrLbmBLrkIPtiH9tYy87yGyXNGwJER2YI5hBKJLwtoCLe6T/V5dCJl"
    "5b2ILo2SpsJWD7GAa2+chSpdIRrjIFijm90aZ0SMKGIQnP6PmRfLkTIgpqUJODA5EiJwcH"
    "9VVO8Jgu8NyhmyLplVNFuL5XJCHSfa/I7XhRG+sKKfGyb/5l9v3/HEXJSg=="
)
