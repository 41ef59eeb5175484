#!/bin/sh
# Run from $NEO4J_HOME after copying output/neo4j/nodes and relationships into import/.
bin/neo4j-admin database import full neo4j \
  --overwrite-destination=true \
  --array-delimiter=";" \
  --multiline-fields=true \
  --nodes=import/nodes/Agency.csv \
  --nodes=import/nodes/Article.csv \
  --nodes=import/nodes/Event.csv \
  --nodes=import/nodes/Fragment.csv \
  --nodes=import/nodes/Page.csv \
  --nodes=import/nodes/Person.csv \
  --nodes=import/nodes/Subdistrict.csv \
  --relationships=import/relationships/AUTHOR-Article-Person.csv \
  --relationships=import/relationships/IS_PART_OF-Article-Page.csv \
  --relationships=import/relationships/IS_PART_OF-Fragment-Page.csv \
  --relationships=import/relationships/LOCATION-Event-Subdistrict.csv \
  --relationships=import/relationships/MENTIONS-Article-Agency.csv \
  --relationships=import/relationships/MENTIONS-Article-Event.csv \
  --relationships=import/relationships/MENTIONS-Article-Person.csv \
  --relationships=import/relationships/MENTIONS-Article-Subdistrict.csv \
  --relationships=import/relationships/ORGANIZER-Event-Subdistrict.csv \
  --relationships=import/relationships/RESPONSIBLE_FOR-Agency-Subdistrict.csv
