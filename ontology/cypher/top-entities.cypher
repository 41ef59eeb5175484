// title: Most-mentioned entities, counted in articles; the top 50 / 提及最多的实体
// param: type (optional) an entity type: AdminArea Subdistrict Community Village Place Agency Company Organization Person
// The 50 rows `kg query top-entities` returns by default: most articles first, then type and name.
MATCH (a:Article)-[:MENTIONS]->(e)
WHERE e.kind = 'Entity' AND coalesce($type, e.type) = e.type
RETURN e.type AS type, e.name AS entity, count(DISTINCT a) AS articles
ORDER BY articles DESC, type, entity
LIMIT 50;
