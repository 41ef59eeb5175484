// title: Events in a subdistrict, with dates and organizers / 某街道的事件（时间、主办）
// param: subdistrict the subdistrict's name, e.g. 清远街道
// An event is in the subdistrict when it takes place, is organised or is attended by the
// subdistrict or by anything that is PART_OF it (communities, villages, compounds).
MATCH (s:Subdistrict)
WHERE s.name = $subdistrict OR $subdistrict IN s.aliases
MATCH (ev:Event)-[:LOCATION|ORGANIZER|PARTICIPANT]->(place)-[:PART_OF*0..]->(s)
OPTIONAL MATCH (ev)-[:ORGANIZER]->(o)
RETURN DISTINCT $subdistrict AS subdistrict, ev.name AS event, ev.type AS type, ev.date_text AS date,
       ev.date_start AS `start`, o.name AS organizer
ORDER BY `start`, event, organizer;
