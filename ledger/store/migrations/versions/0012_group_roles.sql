-- The PostgreSQL side of a group practice, as migration 0012 made it: the triggers, the
-- row-level security on health_note, the group roles and their grants. Run by migration
-- 0012 and again after every `solebook restore` of a dump (pg_restore --no-privileges
-- leaves out the grants), so every statement can run twice; run as one batch (psql -f
-- runs it too). What a later migration changes here it brings in its own file.
CREATE OR REPLACE FUNCTION solebook_audit_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_role := current_user;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS audit_log_role ON audit_log;
CREATE TRIGGER audit_log_role BEFORE INSERT ON audit_log FOR EACH ROW
    EXECUTE FUNCTION solebook_audit_role();
CREATE OR REPLACE FUNCTION solebook_therapist_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_therapist')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_admin')
       AND pg_has_role(current_user, 'solebook_therapist', 'MEMBER')
       AND NOT pg_has_role(current_user, 'solebook_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only the administrator changes the therapists'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN coalesce(NEW, OLD);
END
$$;
DROP TRIGGER IF EXISTS therapist_guard ON therapist;
CREATE TRIGGER therapist_guard BEFORE INSERT OR UPDATE OR DELETE ON therapist
    FOR EACH ROW EXECUTE FUNCTION solebook_therapist_guard();
ALTER TABLE health_note ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_therapist') THEN
        CREATE ROLE solebook_therapist NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_admin') THEN
        CREATE ROLE solebook_admin NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'solebook: cannot create the roles solebook_therapist and solebook_admin';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_therapist')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'solebook_admin') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA public TO solebook_therapist, solebook_admin';
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public '
                'TO solebook_therapist, solebook_admin';
        EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public '
                'TO solebook_therapist, solebook_admin';
        EXECUTE 'REVOKE INSERT, UPDATE, DELETE ON therapist FROM solebook_therapist';
        EXECUTE 'REVOKE ALL ON health_note FROM solebook_admin';
        EXECUTE 'REVOKE INSERT, UPDATE, DELETE ON alembic_version '
                'FROM solebook_therapist, solebook_admin';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, '
                'DELETE ON TABLES TO solebook_therapist, solebook_admin';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES '
                'TO solebook_therapist, solebook_admin';
        EXECUTE 'DROP POLICY IF EXISTS note_author ON health_note';
        EXECUTE 'CREATE POLICY note_author ON health_note TO solebook_therapist '
                'USING (author_id = (SELECT t.id FROM therapist t WHERE t.login = current_user)) '
                'WITH CHECK (author_id = (SELECT t.id FROM therapist t '
                'WHERE t.login = current_user))';
    END IF;
END
$$;
