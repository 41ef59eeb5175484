// title: Companies and the villages and communities they work with / 企业与合作的村和社区
// param: company (optional) a company's canonical name, e.g. 雨泽农业科技有限公司
// Working with: the company organises, undertakes or attends an event that the village or
// community organises, undertakes or attends, or that takes place in it (directly or at a
// place PART_OF it); or the company is LOCATED_IN / PART_OF the village or community.
// UNION removes duplicate rows; sort the result yourself (Neo4j sorts a UNION only inside CALL {}).
MATCH (ev:Event)-[:ORGANIZER|UNDERTAKER|PARTICIPANT]->(c:Company)
WHERE coalesce($company, c.name) = c.name
MATCH (ev)-[:ORGANIZER|UNDERTAKER|PARTICIPANT]->(v)
WHERE v.kind = 'Entity' AND v.type IN ['Village', 'Community']
RETURN c.name AS company, v.name AS partner, v.type AS type, ev.name AS via
UNION
MATCH (ev:Event)-[:ORGANIZER|UNDERTAKER|PARTICIPANT]->(c:Company)
WHERE coalesce($company, c.name) = c.name
MATCH (ev)-[:LOCATION]->(place)-[:PART_OF*0..]->(v)
WHERE v.kind = 'Entity' AND v.type IN ['Village', 'Community']
RETURN c.name AS company, v.name AS partner, v.type AS type, ev.name AS via
UNION
MATCH (c:Company)-[:LOCATED_IN|PART_OF]->(v)
WHERE coalesce($company, c.name) = c.name AND v.kind = 'Entity' AND v.type IN ['Village', 'Community']
RETURN c.name AS company, v.name AS partner, v.type AS type, 'located in / 位于' AS via;
