-- The scale data generator (app.seed_scale_organisation and its helper) was shipped as a
-- migration in the first release. It is benchmark tooling that writes auth.users with the
-- published demo password, so it has no place in a project that was `db push`ed: this
-- removes it where it landed. Locally, `renubu seed --scale N` installs it from
-- local/scale-seed.sql just before it runs.
drop function if exists app.seed_scale_organisation(integer);
drop function if exists app.scale_csm_books(integer);
