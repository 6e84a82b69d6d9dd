-- Runs, their slot and their schedule are per product major now ('domain/product/v<major>'): slots held by runs move
-- to their run's major; schedules restart per major (their first look sets the last firing to that moment).
update processing_active_run
set product_key = product_key || '/v' || (select r.major from processing_run r where r.id = processing_active_run.run_id)
where product_key not like '%/%/%'
  and exists (select 1 from processing_run r where r.id = processing_active_run.run_id);
delete from processing_active_run where product_key not like '%/%/%';
delete from processing_schedule where product_key not like '%/%/%';
