// title: A reporter's articles and beats (the subdistricts they cover) / 记者的文章与报道片区
// param: reporter the reporter's name, e.g. 段雨萌
MATCH (a:Article)-[:AUTHOR]->(r:Person)
WHERE r.name = $reporter OR $reporter IN r.aliases
MATCH (a)-[:IS_PART_OF]->(p:Page)
OPTIONAL MATCH (a)-[:MENTIONS]->(s:Subdistrict)
RETURN DISTINCT $reporter AS reporter, p.name AS file, a.position AS position, a.name AS article, s.name AS beat
ORDER BY file, position, beat;
