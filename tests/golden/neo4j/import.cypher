// pingcheng-kg: load output/neo4j/ into Neo4j 5 with LOAD CSV (run with cypher-shell -f).
// Copy nodes/ and relationships/ into the server's import directory first (see README).

CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT fragment_id IF NOT EXISTS FOR (n:Fragment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT page_id IF NOT EXISTS FOR (n:Page) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT subdistrict_id IF NOT EXISTS FOR (n:Subdistrict) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT village_id IF NOT EXISTS FOR (n:Village) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes/Agency.csv' AS row
CREATE (:Agency:Entity {id: row.`id:ID(Agency)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Article.csv' AS row
CREATE (:Article {id: row.`id:ID(Article)`, kind: row.`kind`, name: row.`name`, headline: row.`headline`, kicker: row.`kicker`, subtitle: row.`subtitle`, page: row.`page`, position: toInteger(row.`position:int`), start_offset: toInteger(row.`start_offset:int`), end_offset: toInteger(row.`end_offset:int`), body: row.`body`, published: date(row.`published:date`), url: row.`url`, publisher: row.`publisher`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Community.csv' AS row
CREATE (:Community:Entity {id: row.`id:ID(Community)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Company.csv' AS row
CREATE (:Company:Entity {id: row.`id:ID(Company)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Event.csv' AS row
CREATE (:Event {id: row.`id:ID(Event)`, kind: row.`kind`, name: row.`name`, type: row.`type`, date_text: row.`date_text`, date_start: date(row.`date_start:date`), date_end: date(row.`date_end:date`), date_basis: row.`date_basis`, evidence: row.`evidence`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Fragment.csv' AS row
CREATE (:Fragment {id: row.`id:ID(Fragment)`, kind: row.`kind`, name: row.`name`, text: row.`text`, reason: row.`reason`, start_offset: toInteger(row.`start_offset:int`), end_offset: toInteger(row.`end_offset:int`)});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Organization.csv' AS row
CREATE (:Organization:Entity {id: row.`id:ID(Organization)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Page.csv' AS row
CREATE (:Page {id: row.`id:ID(Page)`, kind: row.`kind`, name: row.`name`, encoding: row.`encoding`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Person.csv' AS row
CREATE (:Person:Entity {id: row.`id:ID(Person)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Subdistrict.csv' AS row
CREATE (:Subdistrict:Entity {id: row.`id:ID(Subdistrict)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///nodes/Village.csv' AS row
CREATE (:Village:Entity {id: row.`id:ID(Village)`, kind: row.`kind`, name: row.`name`, type: row.`type`, aliases: [x IN split(row.`aliases:string[]`, ';') | x], mention_count: toInteger(row.`mention_count:int`), division_code: row.`division_code`});

LOAD CSV WITH HEADERS FROM 'file:///relationships/AUTHOR-Article-Person.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Person {id: row.`:END_ID(Person)`})
CREATE (a)-[:AUTHOR]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/IS_PART_OF-Article-Page.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Page {id: row.`:END_ID(Page)`})
CREATE (a)-[:IS_PART_OF]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/IS_PART_OF-Fragment-Page.csv' AS row
MATCH (a:Fragment {id: row.`:START_ID(Fragment)`}), (b:Page {id: row.`:END_ID(Page)`})
CREATE (a)-[:IS_PART_OF]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/LOCATED_IN-Company-Village.csv' AS row
MATCH (a:Company {id: row.`:START_ID(Company)`}), (b:Village {id: row.`:END_ID(Village)`})
CREATE (a)-[:LOCATED_IN {evidence: row.`evidence`, article: row.`article`, role: row.`role`}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/LOCATION-Event-Community.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Community {id: row.`:END_ID(Community)`})
CREATE (a)-[:LOCATION]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MEMBER_OF-Person-Organization.csv' AS row
MATCH (a:Person {id: row.`:START_ID(Person)`}), (b:Organization {id: row.`:END_ID(Organization)`})
CREATE (a)-[:MEMBER_OF {evidence: row.`evidence`, article: row.`article`, role: row.`role`}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Agency.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Agency {id: row.`:END_ID(Agency)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Community.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Community {id: row.`:END_ID(Community)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Company.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Company {id: row.`:END_ID(Company)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Event.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Event {id: row.`:END_ID(Event)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Organization.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Organization {id: row.`:END_ID(Organization)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Person.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Person {id: row.`:END_ID(Person)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Subdistrict.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Subdistrict {id: row.`:END_ID(Subdistrict)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/MENTIONS-Article-Village.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Village {id: row.`:END_ID(Village)`})
CREATE (a)-[:MENTIONS {mention_count: toInteger(row.`mention_count:int`), surfaces: [x IN split(row.`surfaces:string[]`, ';') | x], start_offsets: [x IN split(row.`start_offsets:int[]`, ';') | toInteger(x)], end_offsets: [x IN split(row.`end_offsets:int[]`, ';') | toInteger(x)]}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/ORGANIZER-Event-Organization.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Organization {id: row.`:END_ID(Organization)`})
CREATE (a)-[:ORGANIZER]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/ORGANIZER-Event-Subdistrict.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Subdistrict {id: row.`:END_ID(Subdistrict)`})
CREATE (a)-[:ORGANIZER]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/PARTICIPANT-Event-Company.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Company {id: row.`:END_ID(Company)`})
CREATE (a)-[:PARTICIPANT]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/PARTICIPANT-Event-Village.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Village {id: row.`:END_ID(Village)`})
CREATE (a)-[:PARTICIPANT]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/PART_OF-Community-Subdistrict.csv' AS row
MATCH (a:Community {id: row.`:START_ID(Community)`}), (b:Subdistrict {id: row.`:END_ID(Subdistrict)`})
CREATE (a)-[:PART_OF {evidence: row.`evidence`, article: row.`article`, role: row.`role`}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/PART_OF-Village-Subdistrict.csv' AS row
MATCH (a:Village {id: row.`:START_ID(Village)`}), (b:Subdistrict {id: row.`:END_ID(Subdistrict)`})
CREATE (a)-[:PART_OF {evidence: row.`evidence`, article: row.`article`, role: row.`role`}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/PHOTOGRAPHER-Article-Person.csv' AS row
MATCH (a:Article {id: row.`:START_ID(Article)`}), (b:Person {id: row.`:END_ID(Person)`})
CREATE (a)-[:PHOTOGRAPHER]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/RESPONSIBLE_FOR-Agency-Subdistrict.csv' AS row
MATCH (a:Agency {id: row.`:START_ID(Agency)`}), (b:Subdistrict {id: row.`:END_ID(Subdistrict)`})
CREATE (a)-[:RESPONSIBLE_FOR {evidence: row.`evidence`, article: row.`article`, role: row.`role`}]->(b);

LOAD CSV WITH HEADERS FROM 'file:///relationships/UNDERTAKER-Event-Company.csv' AS row
MATCH (a:Event {id: row.`:START_ID(Event)`}), (b:Company {id: row.`:END_ID(Company)`})
CREATE (a)-[:UNDERTAKER]->(b);
