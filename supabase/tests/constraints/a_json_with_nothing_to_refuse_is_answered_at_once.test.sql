-- app.require_displayable_json answers a value whose text form shows nothing the rule could
-- refuse without walking it (app.json_may_hold_undisplayable, migration 20261216400000); it
-- must refuse exactly what the walk refuses. The walk's answer is computed here from the
-- rule's parts (app.json_texts, app.text_field_is_one_line, app.text_is_displayable), for
-- every character of the Basic Multilingual Plane in a one-line value, a multi-line value, a
-- key, a nested array and a deep object, and for escaped forms in the jsonb's text.
begin;
select plan(8);

-- The walk: whether some text of `v` (at any depth, one line or multi-line by its path) or
-- some key (one line, migration 20261216500000) is refused.
create function pg_temp.walk_refuses(v jsonb) returns boolean language sql as $$
  select exists (select 1 from app.json_texts(v, 'params') t
                  where not app.text_is_displayable(t.text, not app.text_field_is_one_line(t.field)))
      or exists (select 1 from app.json_keys(v) k where not app.text_is_displayable(k, false));
$$;
-- What app.require_displayable_json answers: refused (22023) or accepted.
create function pg_temp.refuses(v jsonb) returns boolean language plpgsql as $$
begin
  perform app.require_displayable_json(v, 'params');
  return false;
exception when sqlstate '22023' then
  return true;
end;
$$;

-- Every character of the BMP but NUL (jsonb holds none) and the surrogates (no UTF-8 form).
create temp table chars as
  select cp, chr(cp) as c from generate_series(1, 65535) cp where cp not between 55296 and 57343;
-- Each character in each place a text can be.
create temp table placed as
  select cp, p.place, p.v from chars,
    lateral (values
      ('one-line value', jsonb_build_object('title', 'a' || c || 'b', 'n', 1)),
      ('multi-line value', jsonb_build_object('body', 'a' || c || 'b')),
      ('key', jsonb_build_object('k' || c, 'plain')),
      ('nested array', jsonb_build_object('to', jsonb_build_array('x@example.com', jsonb_build_array(c)))),
      ('deep object', jsonb_build_object('a', jsonb_build_object('b', jsonb_build_array(jsonb_build_object('reason', c))))))
    as p(place, v);

select is((select count(*)::int from chars where not app.text_is_displayable(c, true) and app.text_is_displayable(c, false)), 0,
  'every character a multi-line text refuses, a one-line text refuses too (the fast path reads the one-line list)');
select is((select count(*)::int from placed where not app.json_may_hold_undisplayable(v) and not app.text_is_displayable(chr(cp), false)), 0,
  'no character either list refuses, in a value, a key, a nested array or a deep object, escapes the fast path');
select is((select count(*)::int from chars where not app.text_is_displayable(c, false)), 78,
  'the 78 characters the rule refuses were all tried (C0 but NUL, DEL, C1, marks, separators, overrides, isolates)');
select is((select count(*)::int from placed where (cp < 2048 or cp between 8192 and 8447)
             and not app.json_may_hold_undisplayable(v) and pg_temp.walk_refuses(v)), 0,
  'where the fast path answers at once (U+0001-U+07FF and U+2000-U+20FF, every refused character among them), the walk refuses nothing');
select is((select count(*)::int from placed where (not app.text_is_displayable(chr(cp), false) or cp in (32, 34, 92, 65279))
             and pg_temp.refuses(v) <> pg_temp.walk_refuses(v)), 0,
  'every refused character (and quote, backslash, space, BOM), in each place: the check refuses exactly what the walk refuses');
select is((select count(*)::int from placed where place = 'key' and pg_temp.refuses(v) <> not app.text_is_displayable(chr(cp), false)), 0,
  'a key is read as one line (migration 20261216500000): refused exactly when its character is refused in a name');

-- Escaped forms in the jsonb text: \u202e is the character itself once parsed; a typed
-- backslash before u202e (or n) is six (two) plain characters, accepted.
select is(array[pg_temp.refuses('{"title": "Invoice \u202efdp.exe"}'), pg_temp.refuses('{"list": [["\u0007"]]}'),
                pg_temp.refuses('{"body": "line\nline\ttab"}'), pg_temp.refuses('{"title": "line\nline"}'),
                pg_temp.refuses('{"title": "C:\\u202e and C:\\new"}'), pg_temp.refuses('{"t\u202ex": "plain", "body": "quote \" ok"}'),
                pg_temp.refuses('{"body": "\u200f mark"}'), pg_temp.refuses('{"name": "\u200f mark"}')],
          array[true, true, false, true, false, true, false, true],
  'escaped forms: \u202e and \u0007 are refused (in a key too), a typed backslash is not; a line break or a mark only where one line is asked');
select throws_ok($$select app.require_displayable_json('{"a": {"to": ["x", "ceo\u202e@x"]}}', 'content')$$, '22023',
  'content.a.to[1] must not contain control characters or text-direction overrides',
  'a refusal still names the field by its path');

select * from finish();
rollback;
