// title: Timeline of events, dated ones first by date, then by page order / 事件时间线
// param: type (optional) an event type: Meeting Campaign Ceremony Lecture Exhibition Performance Inspection Contest Training Service Other
MATCH (ev:Event)
WHERE coalesce($type, ev.type) = ev.type
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(ev), (a)-[:IS_PART_OF]->(p:Page)
RETURN DISTINCT ev.date_start AS `start`, ev.date_end AS `end`, ev.date_text AS date, ev.name AS event,
       ev.type AS type, p.name AS file, a.position AS position
ORDER BY `start` IS NULL, `start`, file, position, event;
