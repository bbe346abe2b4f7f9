-- CreateTable
CREATE TABLE "account_name_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "account_name_version_pkey" PRIMARY KEY ("id")
);

-- Hand-written: the single row, and the trigger that bumps it when names change.
INSERT INTO "account_name_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_account_name_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "account_name_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "account_names_changed"
  AFTER INSERT OR DELETE OR UPDATE OF "name", "aliases", "external_id" OR TRUNCATE ON "account"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_account_name_version"();
