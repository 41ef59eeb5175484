// title: Communities and villages of each subdistrict / 各街道下辖的社区和村
// param: subdistrict (optional) a subdistrict's canonical name, e.g. 清远街道
MATCH (m)-[:PART_OF]->(s:Subdistrict)
WHERE m.kind = 'Entity' AND m.type IN ['Community', 'Village'] AND coalesce($subdistrict, s.name) = s.name
RETURN s.name AS subdistrict, m.type AS type, m.name AS member
ORDER BY subdistrict, type, member;
