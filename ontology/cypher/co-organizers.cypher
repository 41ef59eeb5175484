// title: Organisations that organise or undertake events together with X / 与某单位联合主办/承办活动的单位
// param: name the organiser's name or any printed form of it, e.g. 平城区委统战部
MATCH (ev:Event)-[:ORGANIZER|UNDERTAKER]->(x)
WHERE x.name = $name OR $name IN x.aliases
MATCH (ev)-[:ORGANIZER|UNDERTAKER]->(y)
WHERE y.id <> x.id
RETURN DISTINCT $name AS name, y.name AS coorganizer, ev.name AS event
ORDER BY coorganizer, event;
