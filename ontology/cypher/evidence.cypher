// title: The evidence sentences behind the facts about X / 关于某实体各项事实的证据句
// param: name the entity's name or any printed form of it, e.g. 金家湾村
// Facts are the relation statements with X as subject or object, and the events X organises,
// undertakes, attends or hosts. One branch per relationship type names it without type(r),
// which not every openCypher database has.
MATCH (s)-[r:PART_OF]->(o), (a:Article {id: r.article})-[:IS_PART_OF]->(p:Page)
WHERE (s.name = $name OR $name IN s.aliases OR o.name = $name OR $name IN o.aliases) AND r.evidence IS NOT NULL
RETURN $name AS name, s.name AS subject, 'PART_OF' AS predicate, o.name AS object, r.evidence AS evidence, p.name AS file
UNION
MATCH (s)-[r:RESPONSIBLE_FOR]->(o), (a:Article {id: r.article})-[:IS_PART_OF]->(p:Page)
WHERE (s.name = $name OR $name IN s.aliases OR o.name = $name OR $name IN o.aliases) AND r.evidence IS NOT NULL
RETURN $name AS name, s.name AS subject, 'RESPONSIBLE_FOR' AS predicate, o.name AS object, r.evidence AS evidence, p.name AS file
UNION
MATCH (s)-[r:MEMBER_OF]->(o), (a:Article {id: r.article})-[:IS_PART_OF]->(p:Page)
WHERE (s.name = $name OR $name IN s.aliases OR o.name = $name OR $name IN o.aliases) AND r.evidence IS NOT NULL
RETURN $name AS name, s.name AS subject, 'MEMBER_OF' AS predicate, o.name AS object, r.evidence AS evidence, p.name AS file
UNION
MATCH (s)-[r:LOCATED_IN]->(o), (a:Article {id: r.article})-[:IS_PART_OF]->(p:Page)
WHERE (s.name = $name OR $name IN s.aliases OR o.name = $name OR $name IN o.aliases) AND r.evidence IS NOT NULL
RETURN $name AS name, s.name AS subject, 'LOCATED_IN' AS predicate, o.name AS object, r.evidence AS evidence, p.name AS file
UNION
MATCH (ev:Event)-[:ORGANIZER]->(x), (a:Article)-[:MENTIONS]->(ev), (a)-[:IS_PART_OF]->(p:Page)
WHERE (x.name = $name OR $name IN x.aliases) AND ev.evidence IS NOT NULL
RETURN $name AS name, ev.name AS subject, 'ORGANIZER' AS predicate, x.name AS object, ev.evidence AS evidence, p.name AS file
UNION
MATCH (ev:Event)-[:UNDERTAKER]->(x), (a:Article)-[:MENTIONS]->(ev), (a)-[:IS_PART_OF]->(p:Page)
WHERE (x.name = $name OR $name IN x.aliases) AND ev.evidence IS NOT NULL
RETURN $name AS name, ev.name AS subject, 'UNDERTAKER' AS predicate, x.name AS object, ev.evidence AS evidence, p.name AS file
UNION
MATCH (ev:Event)-[:PARTICIPANT]->(x), (a:Article)-[:MENTIONS]->(ev), (a)-[:IS_PART_OF]->(p:Page)
WHERE (x.name = $name OR $name IN x.aliases) AND ev.evidence IS NOT NULL
RETURN $name AS name, ev.name AS subject, 'PARTICIPANT' AS predicate, x.name AS object, ev.evidence AS evidence, p.name AS file
UNION
MATCH (ev:Event)-[:LOCATION]->(x), (a:Article)-[:MENTIONS]->(ev), (a)-[:IS_PART_OF]->(p:Page)
WHERE (x.name = $name OR $name IN x.aliases) AND ev.evidence IS NOT NULL
RETURN $name AS name, ev.name AS subject, 'LOCATION' AS predicate, x.name AS object, ev.evidence AS evidence, p.name AS file;
