// title: People and their roles in organisations / 人物及其职务
// param: person (optional) a person's canonical name, e.g. 沈媛
MATCH (p)-[r:MEMBER_OF]->(o)
WHERE coalesce($person, p.name) = p.name
RETURN p.name AS person, r.role AS role, o.name AS organization
ORDER BY person, organization, role;
