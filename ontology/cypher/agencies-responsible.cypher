// title: Agencies responsible for each subdistrict (包保) / 各街道的包保单位
// param: subdistrict (optional) a subdistrict's canonical name, e.g. 白登山街道
MATCH (a)-[:RESPONSIBLE_FOR]->(s:Subdistrict)
WHERE coalesce($subdistrict, s.name) = s.name
RETURN s.name AS subdistrict, a.name AS agency
ORDER BY subdistrict, agency;
