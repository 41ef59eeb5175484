// title: Events of a year with their organisers, by date / 某年的事件及其主办方
// param: year (optional) a year, e.g. 2025; without it, every event with a date
MATCH (ev:Event)
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(ev)
WITH ev, a.published AS published,
     substring(CAST(coalesce(ev.date_start, a.published) AS STRING), 1, 4) AS in_year
WHERE in_year IS NOT NULL AND in_year = coalesce($year, in_year)
OPTIONAL MATCH (ev)-[:ORGANIZER]->(o)
RETURN DISTINCT $year AS year, ev.date_start AS `start`, published, ev.name AS event, ev.type AS type,
       o.name AS organizer
ORDER BY `start`, published, event, organizer;
