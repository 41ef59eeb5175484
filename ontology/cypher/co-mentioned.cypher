// title: Entities mentioned in the same articles as X / 与某实体同篇出现的实体
// param: name the entity's name or any printed form of it, e.g. 西谷庄村
MATCH (a:Article)-[:MENTIONS]->(x)
WHERE x.name = $name OR $name IN x.aliases
MATCH (a)-[:MENTIONS]->(y)
WHERE y.kind = 'Entity' AND y.id <> x.id
RETURN $name AS name, y.name AS other, y.type AS type, count(DISTINCT a) AS articles
ORDER BY articles DESC, other, type;
