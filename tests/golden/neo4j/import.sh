#!/bin/sh
# Import this directory into a stopped Neo4j 5 server, replacing its database `neo4j`:
#   NEO4J_HOME=/path/to/neo4j sh output/neo4j/import.sh
set -e
: "${NEO4J_HOME:?set NEO4J_HOME to the Neo4j installation directory}"
here=$(cd "$(dirname "$0")" && pwd)
"$NEO4J_HOME/bin/neo4j-admin" database import full neo4j \
  --overwrite-destination=true \
  --array-delimiter=';' \
  --multiline-fields=true \
  --nodes="$here/nodes/Agency.csv" \
  --nodes="$here/nodes/Article.csv" \
  --nodes="$here/nodes/Community.csv" \
  --nodes="$here/nodes/Company.csv" \
  --nodes="$here/nodes/Event.csv" \
  --nodes="$here/nodes/Fragment.csv" \
  --nodes="$here/nodes/Organization.csv" \
  --nodes="$here/nodes/Page.csv" \
  --nodes="$here/nodes/Person.csv" \
  --nodes="$here/nodes/Subdistrict.csv" \
  --nodes="$here/nodes/Village.csv" \
  --relationships="$here/relationships/AUTHOR-Article-Person.csv" \
  --relationships="$here/relationships/IS_PART_OF-Article-Page.csv" \
  --relationships="$here/relationships/IS_PART_OF-Fragment-Page.csv" \
  --relationships="$here/relationships/LOCATED_IN-Company-Village.csv" \
  --relationships="$here/relationships/LOCATION-Event-Community.csv" \
  --relationships="$here/relationships/MEMBER_OF-Person-Organization.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Agency.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Community.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Company.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Event.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Organization.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Person.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Subdistrict.csv" \
  --relationships="$here/relationships/MENTIONS-Article-Village.csv" \
  --relationships="$here/relationships/ORGANIZER-Event-Organization.csv" \
  --relationships="$here/relationships/ORGANIZER-Event-Subdistrict.csv" \
  --relationships="$here/relationships/PARTICIPANT-Event-Company.csv" \
  --relationships="$here/relationships/PARTICIPANT-Event-Village.csv" \
  --relationships="$here/relationships/PART_OF-Community-Subdistrict.csv" \
  --relationships="$here/relationships/PART_OF-Village-Subdistrict.csv" \
  --relationships="$here/relationships/PHOTOGRAPHER-Article-Person.csv" \
  --relationships="$here/relationships/RESPONSIBLE_FOR-Agency-Subdistrict.csv" \
  --relationships="$here/relationships/UNDERTAKER-Event-Company.csv"
