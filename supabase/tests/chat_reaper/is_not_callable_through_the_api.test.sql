begin;
select plan(2);
select ok(not has_function_privilege('authenticated', 'app.reap_stuck_chat_messages(interval)', 'execute'), 'signed-in users cannot run the reaper');
select ok(not has_function_privilege('anon', 'app.reap_stuck_chat_messages(interval)', 'execute'), 'anon cannot run the reaper');
select * from finish();
rollback;
