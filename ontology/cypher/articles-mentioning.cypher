// title: Articles that mention an entity or event / 提及某实体的文章
// param: name the entity's name or any printed form of it, e.g. 西谷庄村
MATCH (a:Article)-[:MENTIONS]->(x)
WHERE x.name = $name OR $name IN x.aliases
MATCH (a)-[:IS_PART_OF]->(p:Page)
RETURN DISTINCT $name AS name, p.name AS file, a.position AS position, a.name AS article
ORDER BY file, position, article;
