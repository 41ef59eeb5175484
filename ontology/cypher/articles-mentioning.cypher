// title: Articles that name an entity or event in their text / 正文提及某实体的文章
// param: name the entity's name or any printed form of it, e.g. 西谷庄村
// Named in the text: the MENTIONS edge lists a mention (a byline-only credit lists none), or it is an event.
// The test on the edge is a WITH of its own: written in the first WHERE, LadybugDB 0.22 dropped the
// row of a matching article in some runs (in 9 to 37 of 40 on the test fixture).
MATCH (a:Article)-[r:MENTIONS]->(x)
WHERE x.name = $name OR $name IN x.aliases
WITH a, r, x
WHERE r.mention_count > 0 OR x.kind = 'Event'
MATCH (a)-[:IS_PART_OF]->(p:Page)
RETURN DISTINCT $name AS name, p.name AS file, a.position AS position, a.name AS article
ORDER BY file, position, article;
