-- Distributed-mode database layout for local development (docker-compose.yml).
-- Runs once, as the superuser, in database `attune` when the Postgres volume is first created.
--
-- One login role and one schema per service: role `profiling` owns schema `profiling` and
-- cannot use any other schema. To add a service, add its name to the array below
-- (and recreate the volume: `docker compose down -v`).
--
-- Dev-only passwords equal the role name. In production create the roles with real
-- secrets (see docs/operations.md).

REVOKE ALL ON DATABASE attune FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
  svc text;
BEGIN
  FOREACH svc IN ARRAY ARRAY['profiling', 'recommendation', 'sentiment', 'generation', 'scheduling', 'ads'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = svc) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', svc, svc);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE attune TO %I', svc);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc, svc);
    EXECUTE format('ALTER ROLE %I IN DATABASE attune SET search_path = %I', svc, svc);
  END LOOP;
END
$$;
