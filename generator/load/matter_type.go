package load

import "reflect"

var reflectTypeOfMatter = reflect.TypeOf(storyMatter{})
