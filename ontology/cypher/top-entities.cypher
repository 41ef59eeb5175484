// title: Most-mentioned entities by type, counted in articles / 各类提及最多的实体
// param: type (optional) an entity type: AdminArea Subdistrict Community Village Place Agency Company Organization Person
MATCH (a:Article)-[:MENTIONS]->(e)
WHERE e.kind = 'Entity' AND coalesce($type, e.type) = e.type
RETURN e.type AS type, e.name AS entity, count(DISTINCT a) AS articles
ORDER BY type, articles DESC, entity;
